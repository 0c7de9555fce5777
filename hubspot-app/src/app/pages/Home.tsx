import { hubspot } from '@hubspot/ui-extensions';

import { GovernanceHome } from './GovernanceHome.tsx';

hubspot.extend<'home'>(({ context }) => <GovernanceHome context={context} />);
