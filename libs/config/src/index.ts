export {
  APP_CONFIG,
  CONFIG_VARIABLES,
  ConfigError,
  loadConfig,
  type AppConfig,
  type AuthSettings,
  type Role,
} from './app-config';
export { ConfigModule } from './config.module';
export { type HttpSettings, type RateLimitBudgetName } from './http-settings';
export { type KafkaSettings } from './kafka-settings';
export { Secret } from './secret';
