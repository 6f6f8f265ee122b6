import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from 'src/config/app-config.js';
import { DirectoryModule } from 'src/directory/directory.module.js';
import { AccessGuard } from 'src/auth/access.guard.js';
import { Authenticator } from 'src/auth/authenticator.service.js';
import { JwtStrategy } from 'src/auth/jwt.strategy.js';
import { DevelopmentSigningKey } from 'src/auth/keys/development-signing-key.js';
import { JwksSigningKeyResolver } from 'src/auth/keys/jwks-signing-key-resolver.js';
import { SigningKeyResolver } from 'src/auth/keys/signing-key-resolver.js';
import { DirectoryResolver } from 'src/auth/directory.resolver.js';
import { PractitionerLookup } from 'src/auth/practitioner-lookup.repository.js';

@Module({
  imports: [DirectoryModule],
  providers: [
    {
      provide: SigningKeyResolver,
      inject: [AppConfig],
      useFactory: (config: AppConfig): SigningKeyResolver =>
        config.auth.mode === 'production' && config.auth.jwksUrl
          ? new JwksSigningKeyResolver(config.auth.jwksUrl, {
              maxAgeMs: config.auth.jwksMaxAgeMs,
              // A set older than its maximum age is fetched again only after this, so it bounds it too.
              minRefetchMs: Math.min(30_000, config.auth.jwksMaxAgeMs),
            })
          : DevelopmentSigningKey.loadOrCreate(config.dataDir),
    },
    PractitionerLookup,
    JwtStrategy,
    Authenticator,
    DirectoryResolver,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [SigningKeyResolver, Authenticator],
})
export class AuthModule {}
