// Tests start moto_server the way the demo does, and act in its other accounts as the gateway would.
export { assumedCredentials, freePort, motoClientConfig, startMoto, type Moto } from "../../demo/moto.js";
