export { APP_CONFIG, CONFIG_VARIABLES, ConfigError, loadConfig, type AppConfig, type Role } from './app-config';
export { ConfigModule } from './config.module';
