import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { AppConfig } from 'src/config/app-config.js';
import { mercuriusErrorFormatter } from 'src/graphql/error-formatter.js';
import { queryLimitsRule } from 'src/graphql/query-limits.rule.js';
import { guardInputs } from 'src/graphql/input-guard.js';
import { oneOperationForJit } from 'src/graphql/jit-guard.js';
import { parsedDocumentsOnly, validSubscriptions } from 'src/graphql/document-guard.js';
import { describeRootTypes, SCHEMA_BUILD_OPTIONS } from 'src/graphql/schema-options.js';
import { DisclosureModule } from 'src/disclosure/disclosure.module.js';
import { DisclosureService } from 'src/disclosure/disclosure.service.js';
import { disclosureHook } from 'src/disclosure/disclosure-hook.js';
import { instrumentDisclosures } from 'src/disclosure/schema-instrumentation.js';
import { AuthModule } from 'src/auth/auth.module.js';
import { Authenticator } from 'src/auth/authenticator.service.js';
import { subscriptionOptions } from 'src/notifications/subscriptions/subscription-connection.js';
import { admittedSubscriptions } from 'src/notifications/subscriptions/subscription-operations.js';
import { UnloggedGraphQLErrors } from 'src/graphql/unlogged-errors.filter.js';

/**
 * Code-first GraphQL on Mercurius. Mercurius enforces no limits by default, so depth, aliases and
 * cost are validation rules here, body size is Fastify's, and batching is off unless configured.
 * No response with child data leaves before its disclosure receipts are committed.
 */
@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [DisclosureModule, AuthModule],
      inject: [AppConfig, DisclosureService, Authenticator],
      useFactory: (config: AppConfig, disclosure: DisclosureService, authenticator: Authenticator): MercuriusDriverConfig => {
        const validationRules = [
          queryLimitsRule(config.graphql),
          ...(config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
        ];
        return {
          ...SCHEMA_BUILD_OPTIONS,
          autoSchemaFile: true,
          // Every disclosable object the executor resolves is noted for its receipt.
          // Outermost, so no resolver sees an argument with a NUL character or an invalid DateTime.
          transformSchema: (schema) => guardInputs(instrumentDisclosures(describeRootTypes(schema))),
          hooks: {
            preValidation: parsedDocumentsOnly,
            preSubscriptionExecution: admittedSubscriptions(validSubscriptions(validationRules, config.graphql.hideSuggestions)),
            onResolution: disclosureHook(disclosure),
            ...(config.graphql.jitAfter > 0 ? { preExecution: oneOperationForJit } : {}),
          },
          // graphql-ws (graphql-transport-ws) at /graphql for live notifications (subscriptions only:
          // queries and mutations go over HTTP, where each response's receipts are committed first).
          subscription: subscriptionOptions(authenticator),
          path: '/graphql',
          graphiql: false,
          routes: true,
          fieldResolverEnhancers: ['guards'],
          allowBatchedQueries: config.graphql.allowBatchedQueries,
          // Queries run often are compiled (graphql-jit), each request still as the operation it names.
          jit: config.graphql.jitAfter,
          context: (request, reply) => ({ req: request, reply }),
          validationRules,
          errorFormatter: mercuriusErrorFormatter(config.graphql.hideSuggestions),
        };
      },
    }),
  ],
  providers: [{ provide: APP_FILTER, useClass: UnloggedGraphQLErrors }],
})
export class TandemGraphQLModule {}
