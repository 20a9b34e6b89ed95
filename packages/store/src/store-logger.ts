/** Where the Redis store reports connection changes: a pino logger fits as is. */
export interface StoreLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}
