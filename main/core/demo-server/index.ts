/** The Yoti-compatible demo server (demo and training mode, and the client's test bed). */
export { startDemoServer, type DemoServer, type RequestRecord, type StartDemoServerOptions } from './server';
export { createDemoSessions, DEMO_SESSION_IDS, DEMO_SESSIONS, type DemoSessionInfo, type DemoSetOptions } from './demo-sessions';
export {
  DEFAULT_RESPONSE_CONFIG,
  parseResponseConfig,
  ResponseConfigError,
  responseConfigSchema,
  sessionFromResponseConfig,
  type ConfigErrorDetail,
  type MaterialiseMediaOptions,
  type MaterialiseOptions,
  type ResponseConfig,
} from './response-config';
export { FaultEngine, TokenBucket, validateFaultRules, type FaultRule, type FaultRules, type RouteName } from './faults';
export { MOUNT } from './routes';
export type { DemoMedia, DemoSession, JsonObject, JsonValue } from './types';
