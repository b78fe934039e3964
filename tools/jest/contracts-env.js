// Pact's library reports usage to the network unless told not to; the contract tests never reach the network.
process.env.PACT_DO_NOT_TRACK = 'true';
