/*
 * A separate OS process for the crash test: writes payments as fast as it can, each through four
 * transactions (create; start processing; record the approved attempt and capture; a partial
 * refund), and reports every commit to the parent, which kills it with SIGKILL mid-stream.
 *
 * argv: <url> <schema or "-">
 * IPC: → { type: 'committed', paymentId, version } after each commit
 */
import { Payment, type Payment as PaymentType } from '@aegispay/domain';
import { createDataSource } from '../data-source/create-data-source';
import { TypeOrmPaymentRepository } from '../payment/typeorm-payment.repository';

function report(paymentId: string, version: number): Promise<void> {
  return new Promise((resolve) => process.send?.({ type: 'committed', paymentId, version }, () => resolve()));
}

async function main(): Promise<void> {
  const [url, schema] = process.argv.slice(2);
  if (url === undefined || schema === undefined) throw new Error('usage: <url> <schema|->');
  const dataSource = await createDataSource({ url, ...(schema === '-' ? {} : { schema }) });
  const repository = new TypeOrmPaymentRepository(dataSource);
  const write = async (payment: PaymentType): Promise<PaymentType> => {
    const result = await repository.updateWithVersion(payment.id, payment, payment.version);
    if (result.entity === null) throw new Error(`unexpected conflict on ${payment.id}`);
    await report(payment.id, result.newVersion);
    return result.entity;
  };
  for (let n = 0; ; n += 1) {
    let payment = await repository.insert(
      Payment.create({ merchantId: 'merchant_crash', amount: 10_000, currency: 'EUR', paymentMethod: { type: 'CARD', token: `tok_${n}` } }),
    );
    await report(payment.id, 1);
    payment.startProcessing();
    payment = await write(payment);
    payment.recordAttempt({ gateway: 'STRIPE', reference: `${payment.id}:1`, outcome: 'APPROVED', latencyMs: 42, gatewayReference: `ch_${n}` });
    payment.markSucceeded({ gateway: 'STRIPE', gatewayReference: `ch_${n}` });
    payment = await write(payment);
    payment.refund({ amount: 2_500, gatewayReference: `re_${n}` });
    await write(payment);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
