*** Settings ***
Documentation       Omni-Channel offers end to end: a chat or a Case reaches the Connect queue mapped to its
...                 Omni-Queue, Connect picks an agent, and the agent's Salesforce user sees the offer as
...                 AgentWork. The same tests run offline (default) and against a real org plus Amazon
...                 Connect (BACKEND=org; tests skipped where the org cannot be driven from a test).
Resource            ../../resources/ContactCenter.resource
Suite Setup         Start Contact Center
Suite Teardown      Stop Contact Center
Test Teardown       Agents Finish Their Work
Test Tags           offers    ${BACKEND}


*** Test Cases ***
Chat Is Offered To An Available Agent Of The Mapped Queue And Accepted
    [Documentation]    The channel's Omni-Queue SCCAC_Support is mapped to the Connect queue Support, which
    ...    maria's routing profile serves.
    Agent Goes Available    maria
    Start Chat As Customer    jane@example.com
    Chat Should Be Queued In    Support
    Agent Should Be Offered The Chat    maria
    Agent Accepts The Offer    maria
    Offer To Agent Should Have Status    maria    Opened

Agent Goes Online And Offline
    [Documentation]    The agent's status as the system records it: offline their Connect status; in an org
    ...    their Omni-Channel presence, which only the agent's own widget can set.
    Agent Goes Available    maria
    Agent Should Be    maria    Available
    Agent Goes Offline    maria
    Agent Should Be    maria    Offline

Chat Waits Until An Agent Becomes Available
    [Documentation]    With every agent offline the chat waits in its queue; the first agent to go
    ...    Available gets the offer.
    Start Chat As Customer    ken@example.com
    Chat Should Be Queued In    Support
    Chat Should Wait For An Agent
    Nobody Should Be Offered The Chat
    Agent Goes Available    li
    Agent Should Be Offered The Chat    li

Declined Chat Goes To The Next Available Agent
    [Documentation]    maria has been idle longest, so she gets the offer first; her decline sends it to li.
    Agent Goes Available    maria
    Agent Goes Available    li
    Start Chat As Customer    olu@example.com
    Agent Should Be Offered The Chat    maria
    Agent Declines The Offer    maria
    Offer To Agent Should Have Status    maria    Declined
    Agent Should Be Offered The Chat    li

Missed Chat Goes To The Next Available Agent
    [Documentation]    An offer nobody answers in time ends as DeclinedOnPushTimeout and goes on.
    Agent Goes Available    maria
    Agent Goes Available    li
    Start Chat As Customer    pat@example.com
    Agent Misses The Offer    maria
    Offer To Agent Should Have Status    maria    DeclinedOnPushTimeout
    Agent Should Be Offered The Chat    li

Agent Transfer Offers The Chat To The Target Agent
    [Documentation]    maria hands the chat to li with an agent quick connect: li gets a new offer for
    ...    the same messaging session and maria's AgentWork ends as Transferred.
    Agent Goes Available    maria
    Agent Goes Available    li
    Start Chat As Customer    rae@example.com
    Agent Should Be Offered The Chat    maria
    Agent Accepts The Offer    maria
    Transfer The Chat To Agent    li
    Agent Should Be Offered The Chat    li
    Offer To Agent Should Have Status    maria    Transferred

Queue Transfer Offers The Chat To An Agent Of The Target Queue
    [Documentation]    maria moves the chat to the Billing queue, which only sam's routing profile serves.
    Agent Goes Available    maria
    Agent Goes Available    sam
    Start Chat As Customer    uma@example.com
    Agent Should Be Offered The Chat    maria
    Agent Accepts The Offer    maria
    Transfer The Chat To Queue    Billing
    Chat Should Be Queued In    Billing
    Agent Should Be Offered The Chat    sam

Case On A Mapped Omni-Queue Becomes A Task Contact And An Offer
    [Documentation]    A Case owned by SCCAC_Billing becomes a Connect task in Billing and an offer to sam.
    Agent Goes Available    sam
    ${case}=    Assign Case To Queue    SCCAC_Billing
    Task Contact Should Carry    workItemId    ${case}
    Task Contact Should Carry    externalRouting    true
    Case Should Be Queued In    Billing
    Agent Should Be Offered The Case    sam
    Agent Accepts The Offer    sam

Case On An Unmapped Omni-Queue Goes Through The Fallback Queue
    [Documentation]    SCCAC_Back_Office has no Connect queue: the task carries no queueId and goes to
    ...    the fallback queue BasicQueue, which sam's routing profile serves.
    Agent Goes Available    sam
    Assign Case To Queue    SCCAC_Back_Office
    Task Contact Should Not Carry    queueId
    Case Should Be Queued In    BasicQueue
    Agent Should Be Offered The Case    sam

Retried Chat Creates No Second Session And No Second Offer
    [Documentation]    Connect running the inbound flow again for the same contact reuses the messaging
    ...    session, and the contact keeps its one offer.
    Agent Goes Available    maria
    Start Chat As Customer    vic@example.com
    Agent Should Be Offered The Chat    maria
    Connect Retries The Chat
    Customer Should Have One Messaging Session
    Agent Should Have Been Offered The Chat Once    maria

Salesforce Down Disconnects The Chat With No Offer
    [Documentation]    When every try to create the messaging session fails, the flow disconnects the
    ...    chat: no queue, no offer, even with an agent available.
    Agent Goes Available    maria
    Salesforce Stops Answering
    Start Chat As Customer    wes@example.com
    Chat Should Be Disconnected
    Nobody Should Be Offered The Chat
