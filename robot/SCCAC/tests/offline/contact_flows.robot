*** Settings ***
Documentation       The contact flows on the offline system: what the flows and their Lambdas do between a
...                 customer's chat or a Case and the Connect queue (retries, transfers, task attributes).
...                 Lambda invocations are visible offline only, so this suite runs on the offline backend.
Resource            ../../resources/ContactCenter.resource
Suite Setup         Start Contact Center
Suite Teardown      Stop Contact Center
Test Teardown       Agents Finish Their Work
Test Tags           offline


*** Test Cases ***
Chat Reaches The Mapped Connect Queue With Its Messaging Session
    [Documentation]    Both Lambdas run once; the chat waits in the Connect queue of the channel's Omni-Queue.
    Start Chat As Customer    jane@example.com
    Chat Should Be Queued In    Support
    Chat Contact Should Carry    source    SCCAC
    Chat Contact Should Carry    clientId    jane@example.com
    Lambda Should Have Been Called    session    1
    Lambda Should Have Been Called    routing    1
    Routing Should Have Been Requested As    Initial

Chat Survives Two Salesforce Failures
    [Documentation]    Two HTTP 503 answers are retried by the flow; the third try succeeds.
    Salesforce Fails The Next Tries    2
    Start Chat As Customer    ann@example.com
    Chat Should Be Queued In    Support
    Lambda Should Have Been Called    session    3

Chat Is Disconnected When Salesforce Stays Down
    [Documentation]    Every try fails: the flow disconnects the chat without calling the Routing Lambda.
    Salesforce Stops Answering
    Start Chat As Customer    bo@example.com
    Chat Should Be Disconnected
    Lambda Should Have Been Called    routing    0

Agent Transfer Queues The Chat For The Agent As A Transfer
    [Documentation]    The agent transfer flow puts the chat in the target agent's queue and routes it as a Transfer.
    Start Chat As Customer    cy@example.com
    Transfer The Chat To Agent    li
    Chat Should Be Queued For Agent    li
    Routing Should Have Been Requested As    Transfer

Queue Transfer Queues The Chat In The Target Queue As A Transfer
    [Documentation]    The queue transfer flow puts the chat in the target queue and routes it as a Transfer.
    Start Chat As Customer    di@example.com
    Transfer The Chat To Queue    Billing
    Chat Should Be Queued In    Billing
    Routing Should Have Been Requested As    Transfer

Case Assigned To A User Uses The Fallback Queue
    [Documentation]    A Case owned by a user has no mapped queue: no queueId, the fallback queue.
    ${case}=    Assign Case To User    sam
    Task Contact Should Not Carry    queueId
    Task Contact Should Carry    workItemId    ${case}
    Case Should Be Queued In    BasicQueue

Bot Only Chat Transcript Arrives In Salesforce Once
    [Documentation]    A chat the bot answered to the end: ContactDisconnected copies its transcript into the
    ...    customer's Salesforce conversation; a second delivery of the event sends nothing again.
    Bot Only Chat Ends    eve@example.com    6
    Transcript Should Have Arrived In Salesforce    6
    Chat End Is Delivered Again
    Transcript Should Have Arrived In Salesforce    6    status=ALREADY_SENT
