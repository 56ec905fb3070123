import { z } from 'zod';
import { SectionInput, SectionsInput } from './http.js';
import { Id, IsoTime } from './primitives.js';

const Text = z.string().trim().min(1).max(200);
const Address = z.string().trim().max(500);

export const CreateVenueBody = z.object({ name: Text, address: Address.optional(), sections: SectionsInput }).strict();
export type CreateVenueBody = z.infer<typeof CreateVenueBody>;

export const UpdateVenueBody = z
  .object({ name: Text.optional(), address: Address.optional(), sections: SectionsInput.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to update' });
export type UpdateVenueBody = z.infer<typeof UpdateVenueBody>;

export const Venue = z.object({
  id: Id,
  name: z.string(),
  address: z.string(),
  sections: z.array(SectionInput),
  capacity: z.number().int(),
  ownerId: Id,
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Venue = z.infer<typeof Venue>;

export const VenueListQuery = z
  .object({
    q: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();
export type VenueListQuery = z.infer<typeof VenueListQuery>;
