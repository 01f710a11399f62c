// edgejwt/testing outside Node (edge, browser and other bundles): the test issuer needs
// node:http and node:crypto, so these bundles get this stub and never the issuer.
throw new Error('edgejwt/testing runs in Node only (it starts an HTTP server with node:http): import it from your Node tests (Vitest, node:test), not from edge or browser code')
