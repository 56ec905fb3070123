import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { adminCommands, commands } from '../../core/contract/commands.js';
import { ErrorCode } from '../../core/contract/error-codes.js';
import { adminPushes, pushes } from '../../core/contract/pushes.js';

extendZodWithOpenApi(z);

type Schemas = Record<string, z.ZodTypeAny>;
interface Namespace {
  key: string;
  address: string;
  description: string;
  commands: Record<string, { payload: z.ZodTypeAny; reply: z.ZodTypeAny }>;
  pushes: Schemas;
}

const NAMESPACES: Namespace[] = [
  {
    key: 'root',
    address: '/',
    description: 'Buyers: seat maps, waiting room, holds, bookings, waitlist. The token is optional (anonymous sockets browse).',
    commands,
    pushes,
  },
  {
    key: 'admin',
    address: '/admin',
    description: 'Admins (everything) and organizers (their own events): live analytics and waiting-room control.',
    commands: adminCommands,
    pushes: adminPushes,
  },
];

/** AsyncAPI keys allow letters, digits, `.`, `-`, `_`: `seats:hold` becomes `seats.hold`. */
export const asyncApiKey = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '.');

const AckError = z.object({
  code: z.enum(Object.values(ErrorCode) as [string, ...string[]]),
  message: z.string(),
  retryable: z.boolean(),
  details: z.unknown().optional(),
});
const ackOf = (reply: z.ZodTypeAny) =>
  z.union([z.object({ ok: z.literal(true), data: reply }), z.object({ ok: z.literal(false), error: AckError })]);

/**
 * AsyncAPI 3 of the Socket.IO contract, generated from core/contract (the schemas the gateway
 * parses commands with): per namespace a channel, per command a `send` operation whose reply is
 * the acknowledgement, per push a `receive` operation. Payload schemas are JSON Schema (2020-12,
 * as in OpenAPI 3.1) made by the same generator as /api/openapi.json.
 */
export function buildAsyncApi(version: string): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const message = (id: string, name: string, title: string, schema: z.ZodTypeAny) => {
    registry.register(id, schema);
    messages[id] = { name, title, payload: { $ref: `#/components/schemas/${id}` } };
    return { $ref: `#/components/messages/${id}` };
  };
  for (const ns of NAMESPACES) {
    const channelMessages: Record<string, unknown> = {};
    const channelRef = { $ref: `#/channels/${ns.key}` };
    for (const [name, c] of Object.entries(ns.commands)) {
      const id = `${ns.key}.${asyncApiKey(name)}`;
      channelMessages[id] = message(id, name, `${name} (emit with an acknowledgement)`, c.payload);
      channelMessages[`${id}.ack`] = message(`${id}.ack`, `${name} ack`, `acknowledgement of ${name}`, ackOf(c.reply));
      operations[`${id}`] = {
        action: 'send',
        title: name,
        summary: `socket.emit('${name}', payload, ack)`,
        channel: channelRef,
        messages: [{ $ref: `#/channels/${ns.key}/messages/${id}` }],
        reply: { channel: channelRef, messages: [{ $ref: `#/channels/${ns.key}/messages/${id}.ack` }] },
      };
    }
    for (const [name, schema] of Object.entries(ns.pushes)) {
      const id = `${ns.key}.push.${asyncApiKey(name)}`;
      channelMessages[id] = message(id, name, `${name} (server push)`, schema);
      operations[id] = {
        action: 'receive',
        title: name,
        summary: `socket.on('${name}', handler)`,
        channel: channelRef,
        messages: [{ $ref: `#/channels/${ns.key}/messages/${id}` }],
      };
    }
    channels[ns.key] = {
      address: ns.address,
      title: `namespace ${ns.address}`,
      description: ns.description,
      messages: channelMessages,
    };
  }
  const { components } = new OpenApiGeneratorV31(registry.definitions).generateComponents();
  return JSON.parse(
    JSON.stringify({
      asyncapi: '3.0.0',
      info: {
        title: 'Evently Socket.IO contract',
        version,
        description:
          'Socket.IO v4 (Engine.IO v4) on path /socket.io/. Handshake: io(url, {auth: {token: accessToken}}). Every command is an emit with an acknowledgement; a command without one is ignored.',
      },
      defaultContentType: 'application/json',
      servers: {
        gateway: { host: 'localhost:3000', pathname: '/socket.io/', protocol: 'ws', description: 'any gateway instance' },
      },
      channels,
      operations,
      components: { schemas: components?.schemas ?? {}, messages },
    }),
  );
}
