/**
 * The playground's made-up company (examples/playground.yaml): who the people are, by the IDs the
 * file gives them, and the channels the page lists. No Slack workspace is needed.
 */
export interface PlaygroundPerson {
  id: string;
  name: string;
  /** What they do, shown beside the name in the person picker. */
  role: string;
}

export const PLAYGROUND_FILE = 'examples/playground.yaml';

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  { id: 'U0PLAYCLEO', name: 'Cleo', role: 'head of Finance' },
  { id: 'U0PLAYDAN', name: 'Dan', role: 'Finance' },
  { id: 'U0PLAYADA', name: 'Ada', role: 'head of IT' },
  { id: 'U0PLAYBEN', name: 'Ben', role: 'IT support' },
];

/** A channel everyone is in, where people talk (and give kudos with a reaction). */
export const GENERAL_CHANNEL = { id: 'C0PLAYGEN', name: 'general' } as const;

export const personName = (id: string): string | undefined => PLAYGROUND_PEOPLE.find((p) => p.id === id)?.name;
