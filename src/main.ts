import { Logger } from '@nestjs/common';
import { createApp } from 'src/app.js';
import { AppConfig } from 'src/config/app-config.js';

async function main(): Promise<void> {
  const logger = new Logger('Tandem');
  const config = AppConfig.fromEnvironment();
  logger.log(`Configuration: ${JSON.stringify(config.describe())}`);
  const app = await createApp(config);
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/graphql`;
  logger.log(`GraphQL endpoint: ${url}`);
  if (config.auth.mode === 'development') {
    logger.log('Get a token: npm run token -- --list   then   npm run token -- <demo-user>');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
