import { Global, Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config.js';

@Global()
@Module({})
export class ConfigModule {
  /** Registers an already validated configuration (tests pass their own). */
  static register(config: AppConfig) {
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] };
  }
}
