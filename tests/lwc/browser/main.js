// Entry of the browser build: the real queueMappingAdmin component, rendered by @lwc/engine-dom outside Salesforce.
import { createElement } from "lwc";
import QueueMappingAdmin from "c/queueMappingAdmin";

const element = createElement("c-queue-mapping-admin", { is: QueueMappingAdmin });
document.querySelector("main").appendChild(element);
