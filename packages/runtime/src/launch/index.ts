/**
 * `@tsmpi/runtime/launch`: what a launcher or host agent needs from the
 * runtime (the rank environment's names, the control messages, the
 * handshake, port ranges), without the engine, codecs and transports: the
 * launcher imports only this, so its start-up does not pay for the rest.
 */
export { Env } from '../constants.js';
export { acceptHandshake, connectHandshake } from '../wire/handshake.js';
export { listenInRange, parsePortRange } from '../transport/listen.js';
export type { RankToAgent, AgentToRank, WaitReport } from './control-messages.js';
export type { Card } from '../transport/transport.js';
