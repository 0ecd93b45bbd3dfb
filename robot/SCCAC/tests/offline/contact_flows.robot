*** Settings ***
Documentation     End-to-end Omni-Channel offers on the offline SCC-AC system: chats and Cases reach
...               the Connect queue mapped to their Omni-Queue, with the attributes Omni-Channel needs
...               to offer the work item to the agent Connect selects.
Resource          ../../resources/SCCAC.resource
Suite Setup       Start Offline Contact Center
Suite Teardown    Stop Offline Contact Center
Test Tags         offline


*** Test Cases ***
Chat Is Offered Through The Mapped Connect Queue
    [Documentation]    Both Lambdas run once; the chat waits in the Connect queue of the channel's Omni-Queue.
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a1    client_id=jane@example.com
    Chat Should Be Offered Through    Support
    Lambda Should Have Been Called    session    1
    Lambda Should Have Been Called    routing    1

Retried Chat Keeps Its Messaging Session
    [Documentation]    Running the flow again for the same contact reuses the messaging session.
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a2
    ${first}=    Get Contact Attribute    workItemId
    ${sessions}=    Get Messaging Session Count
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a2
    Contact Attribute Should Be    workItemId    ${first}
    ${after}=    Get Messaging Session Count
    Should Be Equal As Integers    ${after}    ${sessions}    msg=the retried chat created a second messaging session

Chat Survives Two Salesforce Failures
    [Documentation]    Two HTTP 503 answers are retried by the flow; the third try succeeds.
    Salesforce Fails The Next Session Requests    2
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a3
    Chat Should Be Offered Through    Support
    Lambda Should Have Been Called    session    3

Chat Is Disconnected When Salesforce Stays Down
    [Documentation]    Every try fails: the flow disconnects the chat without calling the Routing Lambda.
    Salesforce Fails The Next Session Requests    3
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a4
    Contact Should Be Disconnected
    Lambda Should Have Been Called    routing    0

Agent Transfers A Chat To Another Agent
    [Documentation]    The agent transfer flow queues the chat for the agent and routes it as a Transfer.
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a5
    Agent Transfers The Chat To Agent    maria.agent
    Contact Should Be Queued For Agent    maria.agent
    Routing Should Have Been Requested As    Transfer
    Salesforce Should Have Routed The Chat As    Transfer

Agent Transfers A Chat To A Queue
    [Documentation]    The queue transfer flow queues the chat in the target queue and routes it as a Transfer.
    Customer Starts A Chat    0f6b1c2e-0000-4000-8000-0000000000a6
    Agent Transfers The Chat To Queue    Billing
    Contact Should Be Queued In    Billing
    Routing Should Have Been Requested As    Transfer
    Salesforce Should Have Routed The Chat As    Transfer

Case On A Mapped Omni-Queue Is Offered Through Its Connect Queue
    [Documentation]    The task attributes come from the offline system's Python stand-in for the
    ...                Apex request builder; the Apex is covered by its Apex tests in an org.
    Case Is Assigned To    500000000000101AAA    SCCAC_Billing
    Contact Should Be Queued In    Billing
    Contact Attribute Should Be    workItemId    500000000000101AAA
    Contact Attribute Should Be    externalRouting    true

Case On An Unmapped Omni-Queue Uses The Fallback Queue
    [Documentation]    No mapping: the task carries no queueId and the flow uses the fallback queue.
    Case Is Assigned To    500000000000102AAA    SCCAC_Back_Office
    Contact Should Not Have Attribute    queueId
    Contact Should Be Queued In    BasicQueue

Case Assigned To A User Uses The Fallback Queue
    [Documentation]    A Case owned by a user: no queueId, the fallback queue.
    Case Is Assigned To    500000000000103AAA    005000000000001AAA
    Contact Should Not Have Attribute    queueId
    Contact Attribute Should Be    groupId    005000000000001AAA
    Contact Should Be Queued In    BasicQueue
