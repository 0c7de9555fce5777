import { hubspot } from '@hubspot/ui-extensions';

import { AccountCard } from './AccountCard.tsx';

hubspot.extend<'crm.record.tab'>(({ context, actions }) => (
  <AccountCard context={context} actions={actions} />
));
