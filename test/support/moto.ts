// Tests start moto_server the way the demo does.
export { freePort, motoClientConfig, startMoto, type Moto } from "../../demo/moto.js";
