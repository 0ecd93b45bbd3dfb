trigger CaseTrigger on Case (before insert, before update, after insert, after update) {
    new CaseRoutingHandler().run(Trigger.operationType, Trigger.new, Trigger.oldMap);
}
