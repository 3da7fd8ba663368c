/** Schemas shared by every route: the problem body, and the registry that names OpenAPI components. */
import { z } from 'zod';

/** Named schemas become `#/components/schemas/<id>` in the OpenAPI document. */
export const components = z.registry<{ id: string }>();

/** RFC 9457 problem details, with `param` naming the query parameter or body field at fault. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    param: z.string().optional().meta({ description: 'the parameter or body field that broke a rule (400)' }),
    errors: z
      .array(z.object({ param: z.string(), detail: z.string() }))
      .optional()
      .meta({ description: 'every broken rule, when more than one' }),
  })
  .meta({ description: 'RFC 9457 problem details (application/problem+json)' });
components.add(Problem, { id: 'Problem' });

/** An RFC 3339 UTC time, the API's time format (CONTRACT §4). */
export const Time = z.iso.datetime();
