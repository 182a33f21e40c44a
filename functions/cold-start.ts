/**
 * What a Lambda sets up once per cold start (secrets, clients, the Bolt app). The first call
 * runs `init`; later calls share its result. If it fails, the call fails (fail closed) and the
 * next call tries again instead of being stuck with the error.
 */
export function coldStart<T>(init: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () =>
    (ready ??= init().catch((err: unknown) => {
      ready = undefined;
      throw err;
    }));
}
