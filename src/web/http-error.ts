/** An error with an HTTP status and a catalogue key for the message people see. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
  ) {
    super(messageKey);
    this.name = 'HttpError';
  }
}

export const notFound = (): HttpError => new HttpError(404, 'error.404.message');
export const forbidden = (): HttpError => new HttpError(403, 'error.403.message');
