import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs and the OpenAPI document at /docs/openapi.json. */
export function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Orders API')
    .setDescription(
      'Place orders and move them through their lifecycle: PLACED -> CONFIRMED -> SHIPPED -> DELIVERED, ' +
        'or CANCELLED from PLACED or CONFIRMED. Amounts are integers in minor units (cents) of the order currency. ' +
        'Every error is an RFC 9457 application/problem+json body. Every change is published as an event on Kafka.',
    )
    .setVersion('1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
