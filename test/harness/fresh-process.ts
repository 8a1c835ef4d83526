/**
 * Every test starts like a fresh n8n process for what the package keeps in process memory only
 * and that a test cannot see change: the webhook-time credential cache (a test that changes a
 * credential between two deliveries calls forgetWebhookCredentials itself).
 */
import { forgetWebhookCredentials } from '../../nodes/shared/webhook/credentials';

beforeEach(() => forgetWebhookCredentials());
