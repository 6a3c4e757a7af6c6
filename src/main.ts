// The composition root's entry: the platform's CLI with the simulated world wired in. The
// platform (domain, gbcs, keys, store, services, api, cli) never imports src/world; only this
// file and src/composition do.
import { runCli } from './cli/main.ts';
import { simulatedWorldWiring } from './composition/simulated-world-wiring.ts';

const code = await runCli(process.argv, simulatedWorldWiring());
// serve keeps running on its own handles; other commands end here.
if (code !== 0) process.exit(code);
