/** The time source every service takes, so tests can drive time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
