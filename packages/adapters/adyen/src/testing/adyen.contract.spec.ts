import { paymentGatewayContract } from '@aegispay/domain/testing';
import { createAdyenContractSubject } from './adyen-contract-subject';

paymentGatewayContract('AdyenGateway over the Adyen stub', createAdyenContractSubject);
