import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { DomainError } from '../core/errors.ts';

/**
 * zod validation with our error shape: 422 VALIDATION_FAILED with the failing fields in
 * `details.issues`, never a 400 with zod's raw output.
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.slice(0, 20).map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
      }));
      throw new DomainError('VALIDATION_FAILED', {}, { issues });
    }
  });
}

/** Thread ids are chosen by the site: 1–200 characters of `[A-Za-z0-9._:~/-]`. */
export const threadIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:~/-]+$/, 'threadId may contain only A-Z a-z 0-9 . _ : ~ / -');

export const idSchema = z.string().regex(/^[0-9A-Z]{26}$/, 'not a valid id');
