import { InvalidOrderError } from './order-errors';

/** Money is an integer count of minor units (cents) in one ISO 4217 currency: never a float. */
export function lineTotal(quantity: number, unitPrice: number): number {
  assertMinorUnits(unitPrice, 'unitPrice');
  const total = quantity * unitPrice;
  assertMinorUnits(total, 'line total');
  return total;
}

export function sumMinorUnits(amounts: readonly number[]): number {
  const total = amounts.reduce((sum, amount) => sum + amount, 0);
  assertMinorUnits(total, 'order total');
  return total;
}

function assertMinorUnits(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new InvalidOrderError(
      `${what} must be a non-negative whole number of minor units within ${Number.MAX_SAFE_INTEGER}`,
    );
  }
}
