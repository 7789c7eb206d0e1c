/**
 * Sends one message to the process that forked this one, resolving once it is on its way; a no-op
 * without an IPC channel. Measuring processes answer their parent this way and never print.
 */
export function sendToParent(message: unknown): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, undefined, () => {
      resolve();
    });
  });
}
