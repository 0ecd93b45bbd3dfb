trigger ConnectRoutingRequestTrigger on Connect_Routing_Request__e (after insert) {
    new ConnectRoutingRequestSubscriber().handle(Trigger.new);
}
