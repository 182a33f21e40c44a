/** The tests' Slack is the playground's stand-in (functions/local/fake-slack.ts): one fake, not two. */
export * from '../../functions/local/fake-slack';
