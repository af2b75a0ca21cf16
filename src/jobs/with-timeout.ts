// One time limit for any promise: the worker's handlers, the queue sampler, the health
// check. The work itself is not cancelled (JavaScript cannot); whoever waits stops waiting.
export function withTimeout<T>(work: Promise<T>, ms: number, error: () => Error = () => new Error(`no answer within ${ms} ms`)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
