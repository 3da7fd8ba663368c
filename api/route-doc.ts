/** What the OpenAPI document says about one route; each routes file lists its own next to its handlers. */
import type { z } from 'zod';
import type { Role } from '../core/registry-schema.js';

export interface ResponseDoc {
  description: string;
  /** A schema registered in `components`; absent for a body described only in words. */
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface RouteDoc {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI path template: `/api/v1/alerts/{id}`. */
  path: string;
  /** Unique; client generators name their functions after it. */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Path parameters and their descriptions. */
  pathParams?: Record<string, string>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Media types also taken as the body, as a file (text/csv, XLSX). */
  fileBodies?: readonly string[];
  /** Roles allowed; absent = every role. `public` routes need no key. */
  roles?: readonly Role[];
  public?: boolean;
  responses: Record<number, ResponseDoc>;
}
