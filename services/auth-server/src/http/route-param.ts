import type { Request } from 'express';

/** A named route parameter as one string (empty when absent or repeated). */
export function routeParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}
