/**
 * One named step of a test that tells a story in order (a request from filing to closing): a
 * failure names the step it happened in. Steps share the test's variables; they are not tests of
 * their own, so none can run without the ones before it.
 */
export async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof Error) error.message = `step "${name}": ${error.message}`;
    throw error;
  }
}
