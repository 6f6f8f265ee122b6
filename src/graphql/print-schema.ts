import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { ALL_RESOLVERS } from 'src/graphql/resolvers.js';
import { describeRootTypes, SCHEMA_BUILD_OPTIONS } from 'src/graphql/schema-options.js';

/** The SDL the gateway serves, sorted, built from the resolvers without a database. */
export async function printGatewaySchema(): Promise<string> {
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await context.get(GraphQLSchemaFactory).create([...ALL_RESOLVERS], SCHEMA_BUILD_OPTIONS.buildSchemaOptions);
    return `${printSchema(lexicographicSortSchema(describeRootTypes(schema)))}\n`;
  } finally {
    await context.close();
  }
}
