/**
 * `work`, or `onTimeout()` if it has not settled within `ms` — the one
 * timeout race (the timer is always cleared, so nothing lingers). `onTimeout`
 * returns the value to resolve with, or throws the error to reject with.
 * The work itself is not cancelled: pass it an AbortSignal where it takes one.
 */
export async function withDeadline<T, F = never>(work: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<F>((resolve, reject) => {
        timer = setTimeout(() => {
          try {
            resolve(onTimeout());
          } catch (error) {
            reject(error);
          }
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
