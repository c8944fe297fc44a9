/** The source of "now", passed in so that tests can move time (lockout expiry, deadlines). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
