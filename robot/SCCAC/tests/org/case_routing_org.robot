*** Settings ***
Documentation     Case unified routing in a real org: a Case assigned to a mapped Omni-Queue gets a
...               Connect task contact, and the outcome is recorded on the Case where an admin sees it.
...               Needs an org set up with `cci flow run dev_org` and the Connect wiring (Named
...               Credential with AWS keys, routing settings filled). Run: cci task run robot --org dev
Resource          cumulusci/robotframework/Salesforce.robot
Variables         ../../resources/fixture_variables.py
Suite Setup       Require Connected Org
Suite Teardown    Delete Session Records
Test Tags         org


*** Variables ***
${MAPPED_QUEUE}    ${MAPPED_OMNI_QUEUES}[0]
${TIMEOUT}         120s


*** Test Cases ***
Case Assigned To A Mapped Omni-Queue Is Sent To Amazon Connect
    [Documentation]    The Case trigger starts a Connect task and records Sent and the task contact Id on the Case.
    ...    The Case is deleted in the Suite Teardown (CumulusCI's Delete Session Records).
    ${queue}=    Salesforce Query    Group    select=Id    DeveloperName=${MAPPED_QUEUE}    Type=Queue
    Should Not Be Empty    ${queue}    Omni-Queue ${MAPPED_QUEUE} is missing: deploy unpackaged/config/omni
    ${case_id}=    Salesforce Insert    Case    Subject=sccac robot e2e    Origin=Web    OwnerId=${queue}[0][Id]
    Wait Until Keyword Succeeds    ${TIMEOUT}    5s    Case Routing Should Be Sent    ${case_id}


*** Keywords ***
Require Connected Org
    [Documentation]    Skips the suite with one line when no org is connected.
    ${status}    ${message}=    Run Keyword And Ignore Error    Salesforce Query    Organization    select=Id
    Skip If    '${status}' == 'FAIL'    No connected Salesforce org (run with: cci task run robot --org dev): ${message}

Case Routing Should Be Sent
    [Documentation]    The Case's routing status is Sent and it names its Connect task contact.
    [Arguments]    ${case_id}
    &{case}=    Salesforce Get    Case    ${case_id}
    Should Be Equal    ${case}[Connect_Routing_Status__c]    Sent    Routing error: ${case}[Connect_Routing_Error__c]
    Should Not Be Empty    ${case}[Connect_Task_Contact_Id__c]
