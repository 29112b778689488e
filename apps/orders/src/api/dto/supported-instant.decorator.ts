import { buildMessage, ValidateBy } from 'class-validator';
import { isSupportedInstant } from '@app/orders';

/** A Date (after @Type(() => Date)) that is valid and within the years 1 to 9999, in one message. */
export const IsSupportedInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isSupportedInstant',
    validator: {
      validate: (value: unknown) => value instanceof Date && isSupportedInstant(value),
      defaultMessage: buildMessage(
        (eachPrefix) => `${eachPrefix}$property must be an ISO 8601 date-time in the years 1 to 9999`,
      ),
    },
  });
