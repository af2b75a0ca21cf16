// The one error of the HTTP boundary, both ways: a request kehu refuses (the status it
// answers with) and a request kehu made that was refused (the status it got back).
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
