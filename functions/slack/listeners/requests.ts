/**
 * Requests in Slack, by flow: filing (`/sla new`, the `file_request` shortcut and the new-request
 * modal: requests-filing.ts) and working (the card's and the DMs' buttons and their modals:
 * requests-working.ts). The working commands, `/sla show`, `/sla list` and the App Home are in
 * request-commands.ts; replies in a request's threads (the conversation), request-messages.ts;
 * "Why this due time?", request-explain.ts; the 🎫 👀 ✅ reactions, gestures.ts.
 */
import type { App } from '@slack/bolt';
import type { ListenerDeps } from './deps';
import { registerGestures } from './gestures';
import { registerRecovery } from './recovery';
import { registerRequestExplain } from './request-explain';
import { registerRequestMessages } from './request-messages';
import { registerRequestMore } from './request-more';
import { registerRequestDms } from './requests-dms';
import { registerRequestFiling } from './requests-filing';
import { registerRequestWork } from './requests-working';

export function registerRequests(app: App, deps: ListenerDeps): void {
  registerRequestFiling(app, deps);
  registerRequestWork(app, deps);
  registerRequestMore(app, deps);
  registerRequestDms(app, deps);
  registerRecovery(app, deps);
  registerRequestMessages(app, deps);
  registerRequestExplain(app, deps);
  registerGestures(app, deps);
}
