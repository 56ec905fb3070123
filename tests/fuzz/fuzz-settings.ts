/** Cases per fuzz target (command or route); FUZZ_RUNS raises it for a longer local hunt. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** Generous allowances: the fuzzers probe validation and authorization, not the rate limits. */
export const FUZZ_LIMITS = {
  SOCKET_COMMANDS_PER_SECOND: '100000',
  SOCKET_COMMAND_BURST: '100000',
  SOCKET_MAX_IN_FLIGHT: '1000',
  USER_COMMANDS_PER_SECOND: '0',
  ADDRESS_COMMANDS_PER_SECOND: '0',
  LOGIN_MAX_FAILURES: '1000',
  LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000',
} as const;
