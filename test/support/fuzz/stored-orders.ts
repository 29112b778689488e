import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CreateOrderDto } from '../../../apps/orders/src/api/dto/create-order.dto';
import type { TestDatabase } from '../test-database';

interface StoredOrder {
  id: string;
  customer_id: string;
  status: string;
  currency: string;
  total_amount: string;
  shipping_address: Record<string, unknown>;
  notes: string | null;
  version: number;
  cancellation_reason: string | null;
  lines:
    { position: number; sku: string; name: string; quantity: number; unit_price: string; line_total: string }[] | null;
}

const STATUSES = new Set(['PLACED', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED']);

/** Text the API would have refused: NUL or unpaired surrogates, anywhere in a value. */
function badText(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed() || value.includes('\u0000');
  if (Array.isArray(value)) return value.some(badText);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => badText(k) || badText(v));
  return false;
}

/**
 * Every order row of the database that breaks a rule of the API: the body rules, checked by the
 * API's own DTO against what was stored, and the server's arithmetic (line totals, order total).
 */
export async function ordersBreakingTheRules(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<StoredOrder>(
    `SELECT o.*, (SELECT jsonb_agg(l ORDER BY l.position) FROM order_lines l WHERE l.order_id = o.id) AS lines
     FROM orders o`,
  );
  const broken: string[] = [];
  for (const row of rows) {
    const faults: string[] = [];
    const lines = row.lines ?? [];
    if (lines.length < 1) faults.push('has no lines');
    if (!/^[A-Z]{3}$/.test(row.currency)) faults.push(`currency ${JSON.stringify(row.currency)}`);
    if (!STATUSES.has(row.status)) faults.push(`status ${JSON.stringify(row.status)}`);
    if (!(row.version >= 1)) faults.push(`version ${row.version}`);
    if (badText(row)) faults.push('holds NUL or an unpaired surrogate');
    lines.forEach((line, index) => {
      if (BigInt(line.line_total) !== BigInt(line.quantity) * BigInt(line.unit_price)) {
        faults.push(`line ${index}: ${line.quantity} x ${line.unit_price} stored as ${line.line_total}`);
      }
      if (line.position !== index) faults.push(`line ${index} at position ${line.position}`);
    });
    const sum = lines.reduce((total, line) => total + BigInt(line.line_total), 0n);
    if (BigInt(row.total_amount) !== sum) faults.push(`total ${row.total_amount}, lines add up to ${sum}`);
    if (BigInt(row.total_amount) > BigInt(Number.MAX_SAFE_INTEGER))
      faults.push(`total ${row.total_amount} is not exact in JSON`);

    const asPlaced = plainToInstance(CreateOrderDto, {
      customerId: row.customer_id,
      currency: row.currency,
      lines: lines.map((l) => ({ sku: l.sku, name: l.name, quantity: l.quantity, unitPrice: Number(l.unit_price) })),
      shippingAddress: row.shipping_address,
      ...(row.notes === null ? {} : { notes: row.notes }),
    });
    faults.push(...ruleBreaks(await validate(asPlaced, { whitelist: true, forbidNonWhitelisted: true })));
    if (faults.length)
      broken.push(`order ${row.id} (customer ${JSON.stringify(row.customer_id.slice(0, 80))}): ${faults.join('; ')}`);
  }
  return broken;
}

function ruleBreaks(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${field}: ${message}`),
      ...ruleBreaks(error.children ?? [], field),
    ];
  });
}

export async function storedOrderIds(db: TestDatabase): Promise<string[]> {
  return (await db.query<{ id: string }>('SELECT id FROM orders')).map((row) => row.id);
}
