import { z } from 'zod';
import { Password } from './http.js';

/** A single-use token from an account mail link (`?token=`). */
const MailToken = z.string().min(16).max(256);

export const ChangePasswordBody = z.object({ currentPassword: z.string().max(256), newPassword: Password }).strict();
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
export const PasswordResetBody = z.object({ email: z.string().max(254) }).strict();
export const PasswordResetConfirmBody = z.object({ token: MailToken, password: Password }).strict();
export const VerifyEmailBody = z.object({ token: MailToken }).strict();
/** Asking for a verification mail takes no fields: no body, or an empty object. */
export const VerifyEmailRequestBody = z.object({}).strict().optional();
