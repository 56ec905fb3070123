import { z } from 'zod';
import { Id, IsoTime, Role } from './primitives.js';

export const AdminUser = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  emailVerified: z.boolean(),
  createdAt: IsoTime,
});
export type AdminUser = z.infer<typeof AdminUser>;

export const UserListQuery = z
  .object({
    /** A substring of the email or the name, case-insensitive. */
    q: z.string().trim().min(1).max(200).optional(),
    role: Role.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();
export type UserListQuery = z.infer<typeof UserListQuery>;

export const UpdateUserBody = z.object({ role: Role }).strict();
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;
