*** Settings ***
Documentation    Shared keywords for the SCC-AC suites.
Library          OfflineContactCenter.py


*** Keywords ***
Chat Should Be Offered Through
    [Documentation]    A chat contact reached the Connect queue mapped to its Omni-Queue with its Salesforce work item.
    [Arguments]    ${connect_queue}
    Contact Should Be Queued In    ${connect_queue}
    Contact Attribute Should Be    source    SCCAC
    ${work_item}=    Get Contact Attribute    workItemId
    Should Match Regexp    ${work_item}    ^0Mw\\w{15}$
