import { FakePaymentsGateway } from '../src/index.ts';
import { paymentsContract } from './contract.ts';

paymentsContract('in-memory fake', async () => {
  const webhookSecret = 'whsec_fake_contract';
  const gateway = new FakePaymentsGateway(webhookSecret);
  const badKeyGateway = new FakePaymentsGateway(webhookSecret);
  badKeyGateway.credentialsValid = false;
  return {
    gateway,
    badKeyGateway,
    webhookSecret,
    async pay(sessionId) {
      gateway.pay(sessionId);
    },
    close: async () => {},
  };
});
