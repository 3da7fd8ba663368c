/**
 * The part of epanet-js 0.9 the simulator uses. The package's own `.d.ts` re-exports its enums from
 * extensionless paths, which `moduleResolution: nodenext` cannot follow, so they arrive untyped.
 * Numbers are the OWA-EPANET 2.2 toolkit codes (epanet2_enums.h).
 */
declare module 'epanet-js' {
  export class Workspace {
    loadModule(): Promise<void>;
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): string;
    getError(code: number): string;
  }

  export class Project {
    constructor(ws: Workspace);
    open(inputFile: string, reportFile: string, binaryFile: string): void;
    close(): void;
    getCount(countType: CountType): number;
    getNodeIndex(id: string): number;
    getLinkIndex(id: string): number;
    getNodeValue(index: number, property: NodeProperty): number;
    setNodeValue(index: number, property: NodeProperty, value: number): void;
    getNodeValues(property: NodeProperty): number[];
    getLinkValue(index: number, property: LinkProperty): number;
    setLinkValue(index: number, property: LinkProperty, value: number): void;
    getLinkValues(property: LinkProperty): number[];
    openH(): void;
    initH(initFlag: InitHydOption): void;
    runH(): number;
    nextH(): number;
    closeH(): void;
    openQ(): void;
    initQ(initFlag: InitHydOption): void;
    runQ(): number;
    nextQ(): number;
    closeQ(): void;
  }

  export enum CountType {
    NodeCount = 0,
    LinkCount = 2,
  }

  export enum InitHydOption {
    NoSave = 0,
  }

  export enum NodeProperty {
    Elevation = 0,
    Initqual = 4,
    SourceQual = 5,
    TankLevel = 8,
    Demand = 9,
    Head = 10,
    Pressure = 11,
    Quality = 12,
  }

  export enum LinkProperty {
    Diameter = 0,
    Length = 1,
    Flow = 8,
    Velocity = 9,
    Status = 11,
    Setting = 12,
  }
}
