export * from './ack.js';
export * from './commands.js';
export * from './compact-seat-view.js';
export * from './error-codes.js';
export * from './http.js';
export * from './me-state.js';
export * from './primitives.js';
export * from './pushes.js';
export type * from './socket-events.js';
