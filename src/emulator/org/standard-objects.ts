/**
 * Salesforce's standard objects, as data: one table per object, one line per field, written from
 * the Salesforce Object Reference (names, types, lengths, required fields, defaults, key prefixes,
 * relationships). `schema.ts` turns these tables into object definitions.
 *
 * A field line is `Name type [flags…]`:
 *   type     id, boolean, string(N), textarea(N), email(N), phone(N), url(N), combobox(N),
 *            picklist, multipicklist, currency, double, percent, int, date, datetime, base64,
 *            ref(Object|Other…) (more than one object: a polymorphic lookup)
 *   !        not nillable: required on create unless it has a default (then the org fills it)
 *   ro       set by the org (not createable, not updateable)
 *   auto     an auto number (set by the org)
 *   once     createable, not updateable
 *   =VALUE   default on create (`_` stands for a space; picklist defaults come from PICKLISTS)
 *   rel=Name the parent relationship name (default: the field name without `Id`)
 *   child=Name  the child relationship the referenced object(s) get; `cascade` when deleting
 *            the parent deletes the child
 *   label=Text  the field label when it is not the field name in words (`_` for spaces)
 *   restricted  a restricted picklist: only its values are accepted
 * Every object also gets Id, IsDeleted, CreatedDate, CreatedById, LastModifiedDate,
 * LastModifiedById and SystemModstamp.
 */

export interface StandardObjectSpec {
  /** false for objects the API cannot insert into (ContentDocument, AuthSession) */
  createable?: boolean
  fields: string
  keyPrefix: string
  label: string
  labelPlural: string
}

const address = (p: string) => `
  ${p}Street textarea(255)
  ${p}City string(40)
  ${p}State string(80)
  ${p}PostalCode string(20)
  ${p}Country string(80)`
const OWNER = 'OwnerId ref(User) rel=Owner'
const OWNER_OR_QUEUE = 'OwnerId ref(Group|User) rel=Owner'
/** Objects a Task, Event, note or attachment can be about (WhatId, ParentId). */
const WHAT = 'Account|Asset|Campaign|Case|Contract|Opportunity|Order|Product2|Quote'

export const STANDARD_OBJECTS: Record<string, StandardObjectSpec> = {
  Account: {keyPrefix: '001', label: 'Account', labelPlural: 'Accounts', fields: `
    Name string(255) ! label=Account_Name
    Type picklist label=Account_Type
    ParentId ref(Account) child=ChildAccounts label=Parent_Account_ID
    ${address('Billing')}
    ${address('Shipping')}
    Phone phone(40) label=Account_Phone
    Fax phone(40) label=Account_Fax
    AccountNumber string(40)
    Website url(255)
    Sic string(20) label=SIC_Code
    Industry picklist
    AnnualRevenue currency
    NumberOfEmployees int label=Employees
    Ownership picklist
    TickerSymbol string(20)
    Description textarea(32000) label=Account_Description
    Rating picklist label=Account_Rating
    Site string(80) label=Account_Site
    AccountSource picklist
    LastActivityDate date ro
    ${OWNER}`},
  Contact: {keyPrefix: '003', label: 'Contact', labelPlural: 'Contacts', fields: `
    AccountId ref(Account) child=Contacts cascade
    LastName string(80) !
    FirstName string(40)
    Salutation picklist
    Name string(121) ro label=Full_Name
    ${address('Mailing')}
    Phone phone(40) label=Business_Phone
    Fax phone(40) label=Business_Fax
    MobilePhone phone(40)
    HomePhone phone(40)
    OtherPhone phone(40)
    ReportsToId ref(Contact) rel=ReportsTo
    Email email(80)
    Title string(128)
    Department string(80)
    AssistantName string(40)
    LeadSource picklist
    Birthdate date
    Description textarea(32000) label=Contact_Description
    HasOptedOutOfEmail boolean =false label=Email_Opt_Out
    DoNotCall boolean =false
    LastActivityDate date ro
    ${OWNER}`},
  Lead: {keyPrefix: '00Q', label: 'Lead', labelPlural: 'Leads', fields: `
    LastName string(80) !
    FirstName string(40)
    Salutation picklist
    Name string(121) ro label=Full_Name
    Title string(128)
    Company string(255) !
    ${address('')}
    Phone phone(40)
    MobilePhone phone(40)
    Fax phone(40)
    Email email(80)
    Website url(255)
    Description textarea(32000)
    LeadSource picklist
    Status picklist ! label=Lead_Status
    Industry picklist
    Rating picklist
    AnnualRevenue currency
    NumberOfEmployees int label=Employees
    HasOptedOutOfEmail boolean =false label=Email_Opt_Out
    IsUnreadByOwner boolean =true label=Unread_By_Owner
    IsConverted boolean ro =false label=Converted
    ConvertedDate date ro
    ConvertedAccountId ref(Account) ro
    ConvertedContactId ref(Contact) ro
    ConvertedOpportunityId ref(Opportunity) ro
    ${OWNER_OR_QUEUE}`},
  Opportunity: {keyPrefix: '006', label: 'Opportunity', labelPlural: 'Opportunities', fields: `
    AccountId ref(Account) child=Opportunities cascade
    Name string(120) ! label=Opportunity_Name
    Description textarea(32000)
    StageName picklist ! label=Stage
    Amount currency
    Probability percent label=Probability_(%)
    ExpectedRevenue currency ro label=Expected_Amount
    TotalOpportunityQuantity double label=Quantity
    CloseDate date !
    Type picklist label=Opportunity_Type
    NextStep string(255)
    LeadSource picklist
    IsClosed boolean ro =false label=Closed
    IsWon boolean ro =false label=Won
    ForecastCategory picklist ro
    ForecastCategoryName picklist restricted label=Forecast_Category
    CampaignId ref(Campaign) child=Opportunities label=Campaign_ID
    HasOpportunityLineItem boolean ro =false label=Has_Line_Item
    Pricebook2Id ref(Pricebook2) child=Opportunities label=Price_Book_ID
    ContractId ref(Contract) child=Opportunities
    LastActivityDate date ro
    ${OWNER}`},
  OpportunityLineItem: {keyPrefix: '00k', label: 'Opportunity Product', labelPlural: 'Opportunity Product', fields: `
    OpportunityId ref(Opportunity) ! once child=OpportunityLineItems cascade
    SortOrder int
    PricebookEntryId ref(PricebookEntry) once child=OpportunityLineItems label=Price_Book_Entry_ID
    Product2Id ref(Product2) once label=Product_ID
    ProductCode string(255) ro
    Name string(376) ro label=Opportunity_Product_Name
    Quantity double !
    TotalPrice currency
    UnitPrice currency label=Sales_Price
    ListPrice currency ro
    ServiceDate date label=Date
    Description string(255) label=Line_Description`},
  OpportunityContactRole: {keyPrefix: '00K', label: 'Opportunity Contact Role', labelPlural: 'Opportunity Contact Role', fields: `
    OpportunityId ref(Opportunity) ! once child=OpportunityContactRoles cascade
    ContactId ref(Contact) ! child=OpportunityContactRoles cascade
    Role picklist
    IsPrimary boolean =false label=Primary`},
  Product2: {keyPrefix: '01t', label: 'Product', labelPlural: 'Products', fields: `
    Name string(255) ! label=Product_Name
    ProductCode string(255)
    Description textarea(4000) label=Product_Description
    IsActive boolean =false label=Active
    Family picklist label=Product_Family
    QuantityUnitOfMeasure picklist label=Quantity_Unit_Of_Measure
    StockKeepingUnit string(180) label=Product_SKU
    DisplayUrl url(1000)
    ExternalId string(255)
    IsArchived boolean ro =false label=Archived`},
  Pricebook2: {keyPrefix: '01s', label: 'Price Book', labelPlural: 'Price Books', fields: `
    Name string(255) ! label=Price_Book_Name
    IsActive boolean =false label=Active
    Description string(255)
    IsStandard boolean ro =false label=Is_Standard_Price_Book
    IsArchived boolean ro =false label=Archived`},
  PricebookEntry: {keyPrefix: '01u', label: 'Price Book Entry', labelPlural: 'Price Book Entries', fields: `
    Name string(255) ro label=Product_Name
    Pricebook2Id ref(Pricebook2) ! once child=PricebookEntries cascade label=Price_Book_ID
    Product2Id ref(Product2) ! once child=PricebookEntries cascade label=Product_ID
    UnitPrice currency ! label=List_Price
    IsActive boolean =false label=Active
    UseStandardPrice boolean =false label=Use_Standard_Price
    ProductCode string(255) ro
    IsArchived boolean ro =false label=Archived`},
  Quote: {keyPrefix: '0Q0', label: 'Quote', labelPlural: 'Quotes', fields: `
    Name string(255) ! label=Quote_Name
    OpportunityId ref(Opportunity) ! once child=Quotes cascade
    Pricebook2Id ref(Pricebook2) child=Quotes label=Price_Book_ID
    ContactId ref(Contact) child=Quotes
    AccountId ref(Account) ro child=Quotes
    QuoteNumber string(30) auto
    IsSyncing boolean ro =false label=Syncing
    Status picklist
    ExpirationDate date
    Description textarea(32000)
    Subtotal currency ro
    TotalPrice currency ro
    GrandTotal currency ro
    Discount percent ro
    Tax currency
    ShippingHandling currency label=Shipping_and_Handling
    Email email(80)
    Phone phone(40)
    Fax phone(40)
    BillingName string(255) label=Bill_To_Name
    ShippingName string(255) label=Ship_To_Name
    ${address('Billing')}
    ${address('Shipping')}
    ${OWNER}`},
  QuoteLineItem: {keyPrefix: '0QL', label: 'Quote Line Item', labelPlural: 'Quote Line Items', fields: `
    QuoteId ref(Quote) ! once child=QuoteLineItems cascade
    PricebookEntryId ref(PricebookEntry) ! once child=QuoteLineItems label=Price_Book_Entry_ID
    Product2Id ref(Product2) once label=Product_ID
    OpportunityLineItemId ref(OpportunityLineItem) ro
    LineNumber string(255) auto
    Quantity double !
    UnitPrice currency ! label=Sales_Price
    Discount percent
    Description textarea(255) label=Line_Item_Description
    ServiceDate date label=Date
    SortOrder int
    ListPrice currency ro
    Subtotal currency ro
    TotalPrice currency ro`},
  Order: {keyPrefix: '801', label: 'Order', labelPlural: 'Orders', fields: `
    AccountId ref(Account) ! child=Orders cascade
    Pricebook2Id ref(Pricebook2) child=Orders label=Price_Book_ID
    OpportunityId ref(Opportunity) child=Orders
    QuoteId ref(Quote) child=Orders
    ContractId ref(Contract) child=Orders
    EffectiveDate date ! label=Order_Start_Date
    EndDate date label=Order_End_Date
    Status picklist !
    StatusCode picklist ro label=Status_Category
    OrderNumber string(30) auto
    Name string(80) label=Order_Name
    Description textarea(32000)
    Type picklist label=Order_Type
    PoNumber string(80) label=PO_Number
    PoDate date label=PO_Date
    TotalAmount currency ro label=Order_Amount
    ${address('Billing')}
    ${address('Shipping')}
    ${OWNER_OR_QUEUE}`},
  OrderItem: {keyPrefix: '802', label: 'Order Product', labelPlural: 'Order Products', fields: `
    OrderId ref(Order) ! once child=OrderItems cascade
    PricebookEntryId ref(PricebookEntry) ! once child=OrderItems label=Price_Book_Entry_ID
    Product2Id ref(Product2) once label=Product_ID
    OrderItemNumber string(30) auto
    Quantity double !
    UnitPrice currency ! label=Unit_Price
    ListPrice currency ro
    TotalPrice currency ro
    ServiceDate date label=Start_Date
    EndDate date
    Description string(255) label=Line_Description`},
  Contract: {keyPrefix: '800', label: 'Contract', labelPlural: 'Contracts', fields: `
    AccountId ref(Account) ! child=Contracts cascade
    Pricebook2Id ref(Pricebook2) label=Price_Book_ID
    OwnerExpirationNotice picklist
    StartDate date label=Contract_Start_Date
    EndDate date ro label=Contract_End_Date
    ContractTerm int label=Contract_Term_(months)
    Status picklist !
    StatusCode picklist ro label=Status_Category
    ContractNumber string(30) auto
    CompanySignedId ref(User) label=Company_Signed_By_ID
    CompanySignedDate date
    CustomerSignedId ref(Contact) label=Customer_Signed_By_ID
    CustomerSignedTitle string(40)
    CustomerSignedDate date
    SpecialTerms textarea(4000)
    Description textarea(32000)
    ActivatedDate datetime ro
    ${address('Billing')}
    ${OWNER}`},
  Case: {keyPrefix: '500', label: 'Case', labelPlural: 'Cases', fields: `
    CaseNumber string(30) auto
    ContactId ref(Contact) child=Cases label=Contact_ID
    AccountId ref(Account) child=Cases cascade label=Account_ID
    AssetId ref(Asset) child=Cases label=Asset_ID
    ParentId ref(Case) child=Cases label=Parent_Case_ID
    SuppliedName string(80) label=Web_Name
    SuppliedEmail email(80) label=Web_Email
    SuppliedPhone string(40) label=Web_Phone
    SuppliedCompany string(80) label=Web_Company
    Type picklist label=Case_Type
    Status picklist !
    Reason picklist label=Case_Reason
    Origin picklist label=Case_Origin
    Subject string(255)
    Priority picklist
    Description textarea(32000)
    IsClosed boolean ro =false label=Closed
    ClosedDate datetime ro
    IsEscalated boolean =false label=Escalated
    ContactEmail email(80) ro
    ContactPhone phone(40) ro
    Comments textarea(4000) label=Internal_Comments
    ${OWNER_OR_QUEUE}`},
  CaseComment: {keyPrefix: '00a', label: 'Case Comment', labelPlural: 'Case Comments', fields: `
    ParentId ref(Case) ! once child=CaseComments cascade label=Parent_ID
    IsPublished boolean =false label=Published
    CommentBody textarea(4000) label=Body`},
  Task: {keyPrefix: '00T', label: 'Task', labelPlural: 'Tasks', fields: `
    WhoId ref(Contact|Lead) rel=Who child=Tasks cascade label=Name_ID
    WhatId ref(${WHAT}) rel=What child=Tasks cascade label=Related_To_ID
    Subject combobox(255)
    ActivityDate date label=Due_Date_Only
    Status picklist !
    Priority picklist !
    IsHighPriority boolean ro =false label=High_Priority
    Description textarea(32000)
    Type picklist
    TaskSubtype picklist
    IsClosed boolean ro =false label=Closed
    AccountId ref(Account) ro
    IsReminderSet boolean =false label=Reminder_Set
    ReminderDateTime datetime label=Reminder_Date/Time
    CallType picklist
    CallDurationInSeconds int label=Call_Duration
    CompletedDateTime datetime ro label=Completed_Date/Time
    ${OWNER_OR_QUEUE} label=Assigned_To_ID`},
  Event: {keyPrefix: '00U', label: 'Event', labelPlural: 'Events', fields: `
    WhoId ref(Contact|Lead) rel=Who child=Events cascade label=Name_ID
    WhatId ref(${WHAT}) rel=What child=Events cascade label=Related_To_ID
    Subject combobox(255)
    Location string(255)
    IsAllDayEvent boolean =false label=All-Day_Event
    ActivityDateTime datetime label=Due_Date_Time
    ActivityDate date label=Due_Date_Only
    StartDateTime datetime label=Start_Date_Time
    EndDateTime datetime label=End_Date_Time
    DurationInMinutes int label=Duration
    Description textarea(32000)
    Type picklist
    ShowAs picklist label=Show_Time_As
    IsPrivate boolean =false label=Private
    AccountId ref(Account) ro
    ${OWNER} label=Assigned_To_ID`},
  Campaign: {keyPrefix: '701', label: 'Campaign', labelPlural: 'Campaigns', fields: `
    Name string(80) ! label=Campaign_Name
    ParentId ref(Campaign) child=ChildCampaigns label=Parent_Campaign_ID
    Type picklist
    Status picklist
    StartDate date
    EndDate date
    ExpectedRevenue currency label=Expected_Revenue_in_Campaign
    BudgetedCost currency label=Budgeted_Cost_in_Campaign
    ActualCost currency label=Actual_Cost_in_Campaign
    ExpectedResponse percent label=Expected_Response_(%)
    NumberSent double label=Num_Sent_in_Campaign
    IsActive boolean =false label=Active
    Description textarea(32000)
    NumberOfLeads int ro =0 label=Leads_in_Campaign
    NumberOfContacts int ro =0 label=Contacts_in_Campaign
    NumberOfResponses int ro =0 label=Responses_in_Campaign
    NumberOfOpportunities int ro =0 label=Opportunities_in_Campaign
    ${OWNER}`},
  CampaignMember: {keyPrefix: '00v', label: 'Campaign Member', labelPlural: 'Campaign Members', fields: `
    CampaignId ref(Campaign) ! once child=CampaignMembers cascade
    LeadId ref(Lead) once child=CampaignMembers cascade
    ContactId ref(Contact) once child=CampaignMembers cascade
    Status picklist
    HasResponded boolean ro =false label=Responded
    FirstRespondedDate date ro
    Name string(121) ro`},
  Asset: {keyPrefix: '02i', label: 'Asset', labelPlural: 'Assets', fields: `
    ContactId ref(Contact) child=Assets
    AccountId ref(Account) child=Assets cascade
    ParentId ref(Asset) child=ChildAssets label=Parent_Asset_ID
    RootAssetId ref(Asset) ro label=Root_Asset_ID
    Product2Id ref(Product2) child=Assets label=Product_ID
    IsCompetitorProduct boolean =false label=Competitor_Asset
    Name string(255) ! label=Asset_Name
    SerialNumber string(80)
    InstallDate date
    PurchaseDate date
    UsageEndDate date
    Status picklist
    Price currency
    Quantity double
    Description textarea(32000)
    ${OWNER}`},
  User: {keyPrefix: '005', label: 'User', labelPlural: 'Users', fields: `
    Username string(80) !
    LastName string(80) !
    FirstName string(40)
    Name string(121) ro label=Full_Name
    CompanyName string(80)
    Division string(80)
    Department string(80)
    Title string(80)
    ${address('')}
    Email email(128) !
    Phone phone(40)
    MobilePhone phone(40)
    Alias string(8) ! =auto
    CommunityNickname string(40) label=Nickname
    IsActive boolean =true label=Active
    TimeZoneSidKey picklist ! restricted =GMT label=Time_Zone
    UserRoleId ref(UserRole) child=Users label=Role_ID
    LocaleSidKey picklist ! restricted =en_US label=Locale
    EmailEncodingKey picklist ! restricted =UTF-8 label=Email_Encoding
    ProfileId ref(Profile) ! =auto child=Users label=Profile_ID
    UserType picklist ro
    LanguageLocaleKey picklist ! restricted =en_US label=Language
    EmployeeNumber string(20)
    ManagerId ref(User) rel=Manager child=ManagedUsers
    FederationIdentifier string(512) label=SAML_Federation_ID
    LastLoginDate datetime ro`},
  Profile: {keyPrefix: '00e', label: 'Profile', labelPlural: 'Profile', fields: `
    Name string(255) !
    UserType picklist ro
    Description string(255)
    PermissionsApiEnabled boolean =false label=API_Enabled
    PermissionsModifyAllData boolean =false label=Modify_All_Data
    PermissionsViewAllData boolean =false label=View_All_Data`},
  UserRole: {keyPrefix: '00E', label: 'Role', labelPlural: 'Role', fields: `
    Name string(80) !
    ParentRoleId ref(UserRole) label=Parent_Role_ID
    DeveloperName string(80)
    RollupDescription string(80) label=Description
    OpportunityAccessForAccountOwner picklist
    CaseAccessForAccountOwner picklist
    ContactAccessForAccountOwner picklist
    PortalType picklist ro`},
  Group: {keyPrefix: '00G', label: 'Group', labelPlural: 'Group', fields: `
    Name string(40) !
    DeveloperName string(80)
    RelatedId ref(User|UserRole) ro
    Type picklist !
    Email email(255)
    DoesSendEmailToMembers boolean =false label=Send_Email_to_Members
    DoesIncludeBosses boolean =false label=Include_Bosses
    ${OWNER}`},
  RecordType: {keyPrefix: '012', label: 'Record Type', labelPlural: 'Record Types', fields: `
    Name string(80) ! label=Record_Type_Label
    DeveloperName string(80) ! label=Record_Type_Name
    NamespacePrefix string(15) ro
    Description string(255)
    SobjectType picklist ! once
    IsActive boolean =false label=Active`},
  ContentVersion: {keyPrefix: '068', label: 'Content Version', labelPlural: 'Content Versions', fields: `
    ContentDocumentId ref(ContentDocument) once child=ContentVersions cascade
    IsLatest boolean ro =true
    ContentUrl url(1333)
    VersionNumber string(20) ro
    Title string(255) !
    Description textarea(1000)
    ReasonForChange string(1000)
    PathOnClient string(500)
    ContentSize int ro label=Size
    FileType string(20) ro
    FileExtension string(40) ro
    VersionData base64
    Checksum string(50) ro
    FirstPublishLocationId ref(${WHAT}|Contact|Lead|User) once rel=FirstPublishLocation label=First_Publish_Location_ID
    Origin picklist once label=Content_Origin
    ContentLocation picklist once label=Content_Location
    SharingOption picklist label=Prevent_Others_from_Sharing_and_Unsharing
    SharingPrivacy picklist label=File_Privacy_on_Records
    ${OWNER}`},
  ContentDocument: {createable: false, keyPrefix: '069', label: 'Content Document', labelPlural: 'Content Documents', fields: `
    Title string(255) !
    Description textarea(1000)
    IsArchived boolean ro =false
    PublishStatus picklist ro
    LatestPublishedVersionId ref(ContentVersion) ro label=Latest_Published_Version_ID
    ContentSize int ro label=Size
    FileType string(20) ro
    FileExtension string(40) ro
    ${OWNER}`},
  ContentDocumentLink: {keyPrefix: '06A', label: 'Content Document Link', labelPlural: 'Content Document Link', fields: `
    LinkedEntityId ref(${WHAT}|Contact|Lead|User) ! once rel=LinkedEntity child=ContentDocumentLinks cascade label=Linked_Entity_ID
    ContentDocumentId ref(ContentDocument) ! once child=ContentDocumentLinks cascade label=ContentDocument_ID
    ShareType picklist
    Visibility picklist`},
  Attachment: {keyPrefix: '00P', label: 'Attachment', labelPlural: 'Attachments', fields: `
    ParentId ref(${WHAT}|Contact|Lead|Task|Event) ! once rel=Parent child=Attachments cascade label=Parent_ID
    Name string(255) ! label=File_Name
    IsPrivate boolean =false label=Private
    ContentType string(120)
    BodyLength int ro label=Body_Length
    Body base64 !
    Description textarea(500)
    ${OWNER}`},
  Note: {keyPrefix: '002', label: 'Note', labelPlural: 'Notes', fields: `
    ParentId ref(${WHAT}|Contact|Lead) ! once rel=Parent child=Notes cascade label=Parent_ID
    Title string(80) !
    IsPrivate boolean =false label=Private
    Body textarea(32000)
    ${OWNER}`},
  PermissionSet: {keyPrefix: '0PS', label: 'Permission Set', labelPlural: 'Permission Sets', fields: `
    Name string(80) !
    Label string(80) !
    Description string(255)
    NamespacePrefix string(15) ro
    IsOwnedByProfile boolean ro =false
    ProfileId ref(Profile) ro
    Type picklist ro
    HasActivationRequired boolean =false label=Session_Activation_Required
    PermissionsApiEnabled boolean =false label=API_Enabled
    PermissionsModifyAllData boolean =false label=Modify_All_Data
    PermissionsViewAllData boolean =false label=View_All_Data`},
  PermissionSetAssignment: {keyPrefix: '0Pa', label: 'Permission Set Assignment', labelPlural: 'Permission Set Assignments', fields: `
    AssigneeId ref(User) ! once child=PermissionSetAssignments cascade
    PermissionSetId ref(PermissionSet) ! once child=Assignments cascade
    IsActive boolean ro =true
    ExpirationDate datetime`},
  ObjectPermissions: {keyPrefix: '110', label: 'Object Permissions', labelPlural: 'Object Permissions', fields: `
    ParentId ref(PermissionSet) ! once rel=Parent child=ObjectPerms cascade
    SobjectType picklist ! once
    PermissionsCreate boolean =false label=Create_Records
    PermissionsRead boolean =false label=Read_Records
    PermissionsEdit boolean =false label=Edit_Records
    PermissionsDelete boolean =false label=Delete_Records
    PermissionsViewAllRecords boolean =false label=View_All_Records
    PermissionsModifyAllRecords boolean =false label=Modify_All_Records`},
  FieldPermissions: {keyPrefix: '01k', label: 'Field Permissions', labelPlural: 'Field Permissions', fields: `
    ParentId ref(PermissionSet) ! once rel=Parent child=FieldPerms cascade
    SobjectType picklist ! once
    Field string(255) ! once label=Field_Name
    PermissionsEdit boolean =false label=Edit_Field
    PermissionsRead boolean =false label=Read_Field`},
  AuthSession: {createable: false, keyPrefix: '0Ak', label: 'Auth Session', labelPlural: 'Auth Sessions', fields: `
    UsersId ref(User) ro rel=Users label=User_ID
    UserType picklist ro
    SourceIp string(39) ro
    LoginType picklist ro
    SessionType picklist ro
    SessionSecurityLevel picklist ro
    LogoutUrl url(1024) ro
    ParentId ref(AuthSession) ro label=Parent_ID
    NumSecondsValid int ro label=Valid_For
    IsCurrent boolean ro =false`},
  SessionPermSetActivation: {keyPrefix: '5Pa', label: 'Session Permission Set Activation', labelPlural: 'Session Permission Set Activations', fields: `
    AuthSessionId ref(AuthSession) ! once child=SessionPermSetActivations cascade label=Auth_Session_ID
    PermissionSetId ref(PermissionSet) ! once child=SessionActivations cascade label=Permission_Set_ID
    UserId ref(User) ro label=User_ID
    Description string(255)`},
}

/**
 * Picklist values of the standard picklists as a new org has them: `Object.Field` → values,
 * the default marked with a leading `*`.
 */
export const PICKLISTS: Record<string, string> = {
  'Account.AccountSource': 'Web|Phone Inquiry|Partner Referral|Purchased List|Other',
  'Account.Industry': 'Agriculture|Apparel|Banking|Biotechnology|Chemicals|Communications|Construction|Consulting|Education|Electronics|Energy|Engineering|Entertainment|Environmental|Finance|Food & Beverage|Government|Healthcare|Hospitality|Insurance|Machinery|Manufacturing|Media|Not For Profit|Recreation|Retail|Shipping|Technology|Telecommunications|Transportation|Utilities|Other',
  'Account.Ownership': 'Public|Private|Subsidiary|Other',
  'Account.Rating': 'Hot|Warm|Cold',
  'Account.Type': 'Prospect|Customer - Direct|Customer - Channel|Channel Partner / Reseller|Installation Partner|Technology Partner|Other',
  'Asset.Status': 'Purchased|Shipped|Installed|Registered|Obsolete',
  'Campaign.Status': '*Planned|In Progress|Completed|Aborted',
  'Campaign.Type': 'Conference|Webinar|Trade Show|Public Relations|Partners|Referral Program|Advertisement|Banner Ads|Direct Mail|Email|Telemarketing|Other',
  'CampaignMember.Status': '*Sent|Responded',
  'Case.Origin': 'Phone|Email|Web',
  'Case.Priority': 'High|*Medium|Low',
  'Case.Reason': 'Installation|Equipment Complexity|Performance|Breakdown|Equipment Design|Feedback|Other',
  'Case.Status': '*New|Working|Escalated|Closed',
  'Case.Type': 'Mechanical|Electrical|Electronic|Structural|Other',
  'Contact.LeadSource': 'Web|Phone Inquiry|Partner Referral|Purchased List|Other',
  'Contact.Salutation': 'Mr.|Ms.|Mrs.|Dr.|Prof.|Mx.',
  'ContentDocumentLink.ShareType': 'V|C|I',
  'ContentDocumentLink.Visibility': 'AllUsers|InternalUsers|SharedUsers',
  'ContentVersion.ContentLocation': '*S|E|L',
  'ContentVersion.Origin': '*C|H',
  'ContentVersion.SharingOption': '*A|R',
  'ContentVersion.SharingPrivacy': '*N|P',
  'Contract.OwnerExpirationNotice': '15|30|45|60|90|120',
  'Contract.Status': '*Draft|In Approval Process|Activated',
  'Contract.StatusCode': 'Draft|InApproval|Activated|Terminated|Expired',
  'Event.ShowAs': '*Busy|OutOfOffice|Free|WorkingElsewhere',
  'Event.Type': 'Call|Email|Meeting|Other',
  'Group.Type': '*Regular|Queue|Role|RoleAndSubordinates|Organization|Manager|ManagerAndSubordinatesInternal',
  'Lead.Industry': 'Agriculture|Apparel|Banking|Biotechnology|Chemicals|Communications|Construction|Consulting|Education|Electronics|Energy|Engineering|Entertainment|Environmental|Finance|Food & Beverage|Government|Healthcare|Hospitality|Insurance|Machinery|Manufacturing|Media|Not For Profit|Recreation|Retail|Shipping|Technology|Telecommunications|Transportation|Utilities|Other',
  'Lead.LeadSource': 'Web|Phone Inquiry|Partner Referral|Purchased List|Other',
  'Lead.Rating': 'Hot|Warm|Cold',
  'Lead.Salutation': 'Mr.|Ms.|Mrs.|Dr.|Prof.|Mx.',
  'Lead.Status': '*Open - Not Contacted|Working - Contacted|Closed - Converted|Closed - Not Converted',
  'Opportunity.ForecastCategory': 'Omitted|Pipeline|BestCase|Forecast|Closed',
  'Opportunity.ForecastCategoryName': 'Omitted|Pipeline|Best Case|Commit|Closed',
  'Opportunity.LeadSource': 'Web|Phone Inquiry|Partner Referral|Purchased List|Other',
  'Opportunity.StageName': 'Prospecting|Qualification|Needs Analysis|Value Proposition|Id. Decision Makers|Perception Analysis|Proposal/Price Quote|Negotiation/Review|Closed Won|Closed Lost',
  'Opportunity.Type': 'Existing Customer - Upgrade|Existing Customer - Replacement|Existing Customer - Downgrade|New Customer',
  'OpportunityContactRole.Role': 'Business User|Decision Maker|Economic Buyer|Economic Decision Maker|Evaluator|Executive Sponsor|Influencer|Technical Buyer|Other',
  'Order.Status': '*Draft|Activated',
  'Order.StatusCode': 'Draft|Activated|Canceled|Expired',
  'Product2.Family': 'None',
  'Quote.Status': '*Draft|Needs Review|In Review|Approved|Rejected|Presented|Accepted|Denied',
  'Task.Priority': 'High|*Normal|Low',
  'Task.Status': '*Not Started|In Progress|Completed|Waiting on someone else|Deferred',
  'Task.TaskSubtype': 'Task|Email|ListEmail|Cadence|Call|LinkedIn',
  'Task.Type': 'Call|Email|Meeting|Other',
  'User.EmailEncodingKey': 'UTF-8|ISO-8859-1|Shift_JIS|ISO-2022-JP|EUC-JP|ks_c_5601-1987|Big5|GB2312|Big5-HKSCS|x-SJIS_0213',
  'User.LanguageLocaleKey': 'en_US|de|es|fr|it|ja|sv|ko|zh_TW|zh_CN|pt_BR|nl_NL|da|th|fi|ru|es_MX|no',
  'User.LocaleSidKey': 'en_US|en_GB|en_AU|en_CA|en_IE|en_IN|en_NZ|en_ZA|de_DE|de_AT|de_CH|fr_FR|fr_CA|fr_BE|es_ES|es_MX|it_IT|ja_JP|ko_KR|nl_NL|pt_BR|pt_PT|sv_SE|da_DK|fi_FI|no_NO|zh_CN|zh_TW',
  'User.TimeZoneSidKey': 'GMT|Europe/London|Europe/Paris|Europe/Berlin|Europe/Amsterdam|Europe/Madrid|Europe/Rome|Europe/Stockholm|Europe/Helsinki|Europe/Moscow|Asia/Dubai|Asia/Kolkata|Asia/Singapore|Asia/Shanghai|Asia/Hong_Kong|Asia/Tokyo|Asia/Seoul|Australia/Sydney|Pacific/Auckland|America/Sao_Paulo|America/New_York|America/Chicago|America/Denver|America/Phoenix|America/Los_Angeles|America/Anchorage|Pacific/Honolulu',
  'User.UserType': 'Standard|PowerPartner|CSPLitePortal|CustomerSuccess|PowerCustomerSuccess|CsnOnly|Guest',
}

/** The default probability (%) and forecast category of each opportunity stage of a new org. */
export const STAGES: Record<string, [probability: number, forecast: string]> = {
  'Closed Lost': [0, 'Omitted'],
  'Closed Won': [100, 'Closed'],
  'Id. Decision Makers': [60, 'Pipeline'],
  'Needs Analysis': [20, 'Pipeline'],
  'Negotiation/Review': [90, 'Pipeline'],
  'Perception Analysis': [70, 'Pipeline'],
  'Proposal/Price Quote': [75, 'Pipeline'],
  Prospecting: [10, 'Pipeline'],
  Qualification: [10, 'Pipeline'],
  'Value Proposition': [50, 'Pipeline'],
}
